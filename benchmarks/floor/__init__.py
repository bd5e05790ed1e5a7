"""The stack's floor for benchmarks/load_faults.py: the least a Django REST framework endpoint
that stores one row can cost on this machine, served like Blue Helmet (same gunicorn, same
PostgreSQL, Django's and the third-party middleware Blue Helmet lists, none of its own)."""
