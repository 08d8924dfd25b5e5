// src/core: everything the wizard does, without a screen. The folders follow the pipeline:
//   answers  → what the admin answers (one schema)
//   node     → reading the node as it is (layout, home, release, what is configured)
//   edit     → editing text without losing a byte (XML, /etc/hosts, owned files, templates)
//   steps    → WSO2's procedure, step by step: which files change and why
//   plan     → the plan: a pure function of the answers and the files read, shown as diffs
//   apply    → writing it safely: lock, checkpoint, writes, restore, rollback
//   run      → the programs: the one process runner, the server, rsync, nginx
// beside them: state (the root-only state folder) and messages (how values and errors are said).
// Each folder's README.md says what it is for, what it may import and what it never imports;
// test/layout.test.ts checks the "never" of each README. The screens (src/ui) and the verbs
// (src/commands) import from these folders, never the reverse.
export {};
