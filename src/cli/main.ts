// `hypc` command line. Each command lives in its own file; this one only wires them with commander.
// Exit codes: 0 no errors (warnings allowed), 1 errors (or stale output with --check), 2 usage or I/O.
import { Command, CommanderError } from "commander";
import { registerCheckCommand } from "./check-command.js";
import { registerBuildCommand } from "./build-command.js";
import { version } from "../version.js";

export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command()
    .name("hypc")
    .description("Compile HypnoScript messaging blocks (.hyp) into typed TypeScript")
    .version(version)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  const setExit = (code: number): void => {
    exitCode = code;
  };
  registerCheckCommand(program, setExit);
  registerBuildCommand(program, setExit);
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage mistakes with 2.
      return error.exitCode === 0 ? 0 : 2;
    }
    throw error;
  }
  return exitCode;
}
