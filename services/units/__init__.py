"""The unit tree and jurisdiction (辖区) import from GeoJSON."""
