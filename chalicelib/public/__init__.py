"""Online hall, API side (网上政务大厅): public queries, masking, published results."""
