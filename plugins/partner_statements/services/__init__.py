"""The plugin's rules, one module per concern; views stay thin and call these."""
