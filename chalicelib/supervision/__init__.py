"""行政监察平台 (administrative supervision): new code of this context (issue #17 moves the rest here)."""
