"""Pure domain rules: no boto3, botocore, pynamodb, chalice or os.environ here."""
