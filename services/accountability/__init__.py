"""Loss-threshold accountability (问责预警): rules, triggers on case writes, workflow, read models, integrity, 倒查."""
