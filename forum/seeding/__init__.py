"""A generated forum for benchmarks: ``flask --app forum seed`` (``cli.py``).

Every account the seed creates has an address at ``SEED_DOMAIN``; that is how the command tells a
seeded database from one that holds real people. ``text.py`` writes the Dutch Markdown,
``bulk.py`` inserts threads, posts, accounts and research codes in big batches.
"""

SEED_DOMAIN = "seed.example.org"
