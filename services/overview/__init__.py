"""The 总览 figures of a unit: today, this month and each branch."""
