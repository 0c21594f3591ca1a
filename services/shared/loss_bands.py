"""Loss bands of the case filters: label and [low, high) limits in fen (money limits, not display)."""

LOSS_BANDS = {
    "all": ("全部", None, None),
    "lt1w": ("1万元以下", None, 1_000_000),
    "1w_10w": ("1万–10万元", 1_000_000, 10_000_000),
    "10w_50w": ("10万–50万元", 10_000_000, 50_000_000),
    "50w_100w": ("50万–100万元", 50_000_000, 100_000_000),
    "ge100w": ("100万元以上", 100_000_000, None),
    "ge10w": ("10万元以上（含）", 10_000_000, None),
}
