import GitFleetCLI

await gitfleetMain(actions: EngineActions())
