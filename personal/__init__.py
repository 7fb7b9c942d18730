"""Personal information (PIPL): sealing it at rest (`crypto`) and showing it masked (`masks`).

Not a Django app: no models, no views. `crypto` is the one module that holds cryptography, so
that a certified HSM or KMS can take its place; `masks` is plain text work.
"""
