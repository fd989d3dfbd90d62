"""The rules of the Customer Voice model, one module per part of it."""
