"""Reproducible training of every weight file cxsentiment ships (``python -m cxsentiment.training``)."""
