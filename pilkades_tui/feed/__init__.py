"""The console's side of the wire: snapshot + feed client, commands to the hub, outbox."""
