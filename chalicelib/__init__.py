"""Sunlit (阳光政务): the one-library-four-platforms system as a Chalice application."""
