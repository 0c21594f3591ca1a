"""The command-centre wall display (指挥中心大屏): its device sign-in and its read model."""
