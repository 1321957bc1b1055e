// Package clixml decodes PowerShell CLIXML, the format Export-Clixml writes
// (namespace "http://schemas.microsoft.com/powershell/2004/04", version
// 1.1.0.1), into a generic tree of [Value]s.
//
// A document is an <Objs> element holding values. Complex values are
// <Obj> elements: an [Object] with its type names (<TN>, or <TNRef> for a
// list given earlier), its <ToString> text, its adapted (<Props>) and
// extended (<MS>) properties, and possibly a collection (<LST>, <IE>,
// <STK>, <QUE>), a dictionary (<DCT>) or a primitive value of its own (an
// enum is an <Obj> whose ToString is the enum name and which holds an
// <I32>). A <Ref RefId> refers back to an <Obj> given earlier: it decodes
// to the same *Object, so shared objects are shared in the tree too.
//
// Strings have the _xHHHH_ escapes of PowerShell's serializer decoded
// ("_x000D__x000A_" is CR LF). Errors carry the line and column; the
// decoder never panics, limits nesting to [MaxDepth] and refuses a <Ref>
// to an object that encloses it, so the tree it returns has no cycles.
//
// Decode is meant for configuration exports: it reads the whole document
// into memory.
package clixml
