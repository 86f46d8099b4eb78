#!/usr/bin/env node
// Reads one .msg file with @kenjiuno/msgreader, a reader msstore has nothing to do with, and prints
// what it found: the subject, the number of recipients and of attachments, each attachment's file
// name and size (its bytes read through the reader), and each embedded message the same way,
// indented. Two files holding the same message print the same lines.
//   node check-readers.js [--modules DIR] FILE.msg
// DIR is the node_modules folder holding @kenjiuno/msgreader; without it, NODE_PATH's, else the
// project's .deps/node/node_modules (where scripts/setup.sh installs it).
// Exit status: 0 read, 1 the reader failed on the file, 2 a usage error.
"use strict";
const fs = require("fs");
const path = require("path");

function usage(message) {
    process.stderr.write(`check-readers: ${message}\nusage: node check-readers.js [--modules DIR] FILE.msg\n`);
    process.exit(2);
}

const args = process.argv.slice(2);
let modules = null;
const files = [];
while (args.length) {
    const arg = args.shift();
    if (arg === "--modules") {
        if (!args.length) usage("--modules needs a folder");
        modules = args.shift();
    } else if (arg.startsWith("--")) {
        usage(`unknown option ${arg}`);
    } else {
        files.push(arg);
    }
}
if (files.length !== 1) usage("one .msg file, please");
const file = files[0];

function loadReader() {
    const name = "@kenjiuno/msgreader";
    const tries = [];
    if (modules !== null) tries.push(path.resolve(modules, name));
    tries.push(name); // NODE_PATH and the usual lookup
    tries.push(path.resolve(__dirname, "..", "..", ".deps", "node", "node_modules", name));
    for (const where of tries) {
        try {
            const loaded = require(where);
            return loaded.default || loaded;
        } catch (e) {
            if (e.code !== "MODULE_NOT_FOUND") throw e;
        }
    }
    usage(`cannot load ${name} (tried ${tries.join(", ")}); scripts/setup.sh installs it`);
}
const MsgReader = loadReader();

let bytes;
try {
    bytes = fs.readFileSync(file);
} catch (e) {
    usage(`cannot read ${file}: ${e.message}`);
}

const show = (text) => JSON.stringify(text === undefined ? null : text);
const lines = [];

// One message (the file's, or an embedded one) as lines indented by depth.
function describe(reader, info, depth) {
    const pad = "  ".repeat(depth);
    if (info.error) throw new Error(info.error);
    const recipients = info.recipients || [];
    const attachments = info.attachments || [];
    lines.push(`${pad}subject ${show(info.subject)}`);
    lines.push(`${pad}recipients ${recipients.length}`);
    lines.push(`${pad}attachments ${attachments.length}`);
    attachments.forEach((attachment, index) => {
        if (attachment.innerMsgContent === true) {
            const inner = attachment.innerMsgContentFields;
            if (!inner) throw new Error(`attachment ${index}: an embedded message without its properties`);
            lines.push(`${pad}attachment ${index}: embedded message`);
            describe(reader, inner, depth + 1);
            return;
        }
        const name = attachment.fileName || attachment.fileNameShort || attachment.name;
        const content = reader.getAttachment(attachment).content;
        if (!content) throw new Error(`attachment ${index}: no content`);
        if (attachment.contentLength !== undefined && content.length !== attachment.contentLength) {
            throw new Error(`attachment ${index}: ${content.length} bytes read, ${attachment.contentLength} announced`);
        }
        lines.push(`${pad}attachment ${index}: file ${show(name)}, ${content.length} bytes`);
    });
}

try {
    const reader = new MsgReader(bytes);
    describe(reader, reader.getFileData(), 0);
} catch (e) {
    process.stderr.write(`check-readers: ${file}: ${e && e.message ? e.message : e}\n`);
    process.exit(1);
}
process.stdout.write(lines.join("\n") + "\n");
