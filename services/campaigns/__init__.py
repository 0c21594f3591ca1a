"""专项行动与宣传: campaigns, targets, unit activity logs, progress with pacing, the 10th/25th reports."""
