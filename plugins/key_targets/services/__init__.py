"""The rules of the key_targets plugin, one module per part of the issue; views stay thin."""
