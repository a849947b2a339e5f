"""The demo province: real Đồng Tháp before and after the 2025 reform, with demo users."""
