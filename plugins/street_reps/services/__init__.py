"""The street_reps plugin's rules and queries, one module per part of Halton's model."""
