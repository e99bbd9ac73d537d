"""A member's privacy rights under the AVG: download their data, delete their account, retention."""
