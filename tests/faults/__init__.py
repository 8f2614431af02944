"""Driver scripts that the fault-injection tests run in a subprocess and kill from outside."""
