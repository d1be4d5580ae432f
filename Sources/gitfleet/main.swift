import GitFleetCLI

// The engine plugs its actions in here; until then gitfleetMain uses placeholders.
await gitfleetMain()
