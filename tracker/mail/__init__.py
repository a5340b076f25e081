"""The newsroom mailbox: letters sent by email, agency replies fetched over IMAP, threaded onto their request."""
