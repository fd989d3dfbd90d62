"""Domain services: the only code that changes records. Views and commands call these."""
