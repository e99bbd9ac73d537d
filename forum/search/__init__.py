"""Full-text search over what the searcher may see: one service (``services``), an index per
database (``sqlite``: FTS5; ``postgres``: tsvector with the 'dutch' configuration)."""
