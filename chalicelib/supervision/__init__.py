"""Administrative supervision (行政监察平台): rules R1–R14, signals, complaints, evaluation, spot checks."""
