"""Sunlit's CloudFormation, written in Python: ``python infra/build.py`` writes the template that
``chalice package --merge-template`` merges into the Chalice app, and ``devstack`` provisions the
local stack from the same build."""
