"""What a contributor runs besides validation: safe fixes of a CSV file (`fixing`) and new rows formed by the package's rules (`scaffold`)."""
