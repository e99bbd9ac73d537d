"""Privacy rights: download your data, delete your account, retention."""
