"""The generic change log (nhật ký thay đổi) for configuration: who, when, before and after."""
