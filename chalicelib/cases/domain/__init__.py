"""Pure case rules: exchange events, the projection of a case, statistics contributions."""
