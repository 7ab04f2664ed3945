"""Shared kernel (共享内核): calendar, hash chain, errors, periods, rule parameters, ports."""
