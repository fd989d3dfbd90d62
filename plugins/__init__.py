"""The landlords' involvement models, one pluggy plugin per package (see the README, "Writing a plugin")."""
