"""The domain engine, pure Python: questionnaires, scoring models, recommendations (no framework imports)."""
