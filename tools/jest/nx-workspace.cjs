/**
 * Writes, from one computation of the project graph, what the tools suites ask Nx about the
 * workspace: every project's configuration (what `nx show project <name> --json` prints) and the
 * resolved inputs of the named tasks (what `nx show target inputs <task> --json` prints, through
 * the same function). Each nx command computes the graph anew, about five CPU-seconds on these
 * machines, and the suites used to ask six times (ADR 0049).
 *
 * getTaskRawInputs is not part of Nx's public API; nx is pinned, and if a later version moves it
 * this script fails, and with it the suites, rather than answering without it.
 *
 * Usage (from the workspace root): node tools/jest/nx-workspace.cjs <out.json> <project:target>...
 */
const { writeFileSync } = require('node:fs');
const { createProjectGraphAsync } = require('nx/src/devkit-exports');
const { readNxJson } = require('nx/src/config/configuration');
const { getTaskRawInputs } = require('nx/src/hasher/check-task-files');

async function main([out, ...tasks]) {
  if (!out)
    throw new Error('usage: node tools/jest/nx-workspace.cjs <out.json> <project:target>...');
  const projectGraph = await createProjectGraphAsync({ exitOnError: false });
  const nxJson = readNxJson();
  const inputs = {};
  for (const task of tasks) {
    const found = await getTaskRawInputs(task, { projectGraph, nxJson });
    if (!found) throw new Error(`Nx resolves no inputs for ${task}`);
    inputs[task] = found;
  }
  const projects = Object.fromEntries(
    Object.values(projectGraph.nodes).map((node) => [node.name, { ...node.data, name: node.name }]),
  );
  writeFileSync(out, JSON.stringify({ projects, inputs }));
}

// Nx's plugin workers keep the event loop alive after the answer is written.
main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
