"""打击与挽损: case solving, strike results, the 止付/冻结/返还 ledger, dissuasion and their measures."""
