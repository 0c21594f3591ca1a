"""The 漳州市公安局 demo: real district geography, synthetic stations, cases, calls and activities."""
