"""Keys, sealing and blind indexes: the lowest layer of Dalil.

Every other app reaches keys and ciphers through this package and nothing below it; this package imports
no other app. keys/purposes.py names every key and its one purpose; docs/evidence-format.md and
docs/data-protection.md describe the formats.
"""
