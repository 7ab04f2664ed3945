"""基层延伸: service points (便民服务中心, 代办点) where applications are taken (docs/CONTRACT.md §11)."""
