"""Case import from other systems' CSV/XLSX exports: template, reading, cell checks, all-or-nothing writing."""
