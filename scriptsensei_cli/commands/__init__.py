"""One thin module per noun: parse flags, call the client, hand the result to output."""
