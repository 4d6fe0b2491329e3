#!/usr/bin/env node
import { createRequire as __apiguardCreateRequire } from 'node:module'; import { fileURLToPath as __apiguardFileURLToPath } from 'node:url'; const require = __apiguardCreateRequire(import.meta.url); const __filename = __apiguardFileURLToPath(import.meta.url); const __dirname = __filename.replace(/[\\/][^\\/]*$/, '');
import{A as X,B as L,a as U,c as J,e as E,f as W,g as q,j as B,n as Y,o as T,p as z,q as S,r as u,s as D,u as G,v as V,w as H,y as K,z as Q}from"./chunks/chunk-ISRJK4FC.js";import{e as k,j as g}from"./chunks/chunk-I7JFENU2.js";import"./chunks/chunk-CSTQ4IMJ.js";import"./chunks/chunk-TXGUGBLA.js";import"./chunks/chunk-YIOTHDAC.js";import{writeFileSync as M}from"node:fs";import{resolve as j}from"node:path";import{parseArgs as ue}from"node:util";var fe=1;function Z(t){return`${JSON.stringify({version:fe,tool:u,findings:t.findings,suppressed:t.suppressed,summary:T(t)},null,2)}
`}var h=(t,e)=>n=>`\x1B[${t}m${n}\x1B[${e}m`,A={red:h(31,39),yellow:h(33,39),blue:h(34,39),dim:h(2,22),bold:h(1,22),underline:h(4,24)},w=t=>t,x={red:w,yellow:w,blue:w,dim:w,bold:w,underline:w};function C(t,e=process.env){return e.NO_COLOR!==void 0&&e.NO_COLOR!==""?!1:e.FORCE_COLOR!==void 0&&e.FORCE_COLOR!=="0"?!0:!!t.isTTY}function ee(t,e=x){let n={error:e.red,warning:e.yellow,info:e.blue},o=new Map;for(let d of t.findings)o.set(d.file,[...o.get(d.file)??[],d]);let s=[];for(let[d,O]of o){s.push(e.underline(d));let c=Math.max(...O.map(f=>`${f.line}:${f.column}`.length));for(let f of O){let v=`${f.line}:${f.column}`.padEnd(c);s.push(`  ${e.dim(v)}  ${n[f.severity](f.severity.padEnd(7))}  ${f.message}  ${e.dim(f.ruleId)}`)}s.push("")}let r=T(t),{error:a,warning:p,info:y}=r.bySeverity,m=r.files.openapi+r.files.code,b=`${S(r.total,"finding")} (${S(a,"error")}, ${S(p,"warning")}, ${y} info)`,$=[`${S(m,"file")} checked`,...r.suppressed.total>0?[`${r.suppressed.total} suppressed`]:[],`${(r.durationMs/1e3).toFixed(1)} s`],F=r.result==="fail"?e.red("\u2716"):r.total>0?e.yellow("!"):"\u2714";return s.push(e.bold(`${F} ${r.total===0?"No findings":b}`)+e.dim(` \xB7 ${$.join(" \xB7 ")}`)),`${s.join(`
`)}
`}var N=["stylish","json","sarif","markdown"];function te(t,e,n){return k(le(t,e,n))}function le(t,e,n){switch(t){case"json":return Z(e);case"sarif":return H(e);case"markdown":return G(e);case"stylish":return ee(e,n)}}var P=["text","json","markdown"],de=1;function ne(t){let e=t.chain.filter(n=>n.auth);if(e.length>0){let n=e.map(o=>`${o.name} (${o.file}:${o.line})`).join(", ");return t.auth==="weak"?`middleware only: ${n}`:n}return t.public?`public: ${t.public.detail}`:"none"}function re(t,e){switch(e){case"json":return`${JSON.stringify({version:de,tool:u,routes:t},null,2)}
`;case"markdown":return pe(t);case"text":return ce(t)}}function ce(t){if(t.length===0)return`No routes found.
`;let e=t.map(r=>[r.method,oe(r),`${r.handler.file}:${r.handler.line}`,ne(r)]),n=[0,1,2].map(r=>Math.min(60,Math.max(...e.map(a=>a[r].length)))),o=e.map(r=>r.map((a,p)=>p<3?a.padEnd(n[p]):a).join("  ").trimEnd()),s=t.filter(r=>r.auth==="none").length;return`${o.join(`
`)}

${t.length} routes, ${s} without authentication.
`}function pe(t){let e=o=>o.replace(/\|/g,"\\|").replace(/\n/g," ");return`${["| Method | Path | Handler | Authentication |","|---|---|---|---|",...t.map(o=>`| ${o.method} | \`${e(oe(o))}\` | ${e(`${o.handler.file}:${o.handler.line}`)} | ${e(ne(o))} |`)].join(`
`)}
`}function oe(t){return t.unmounted?`\u2026${t.path}`:t.path}function ie(t){if(t==="json")return`${JSON.stringify(g,null,2)}
`;if(t==="markdown")return V(g);let e=Math.max(...g.map(r=>r.id.length)),n=r=>D(r).join("+"),o=Math.max(7,...g.map(r=>n(r).length)),s=g.map(r=>`${r.id.padEnd(e)}  ${n(r).padEnd(o)}  ${r.severity.padEnd(7)}  ${r.cwe.join(",").padEnd(9)}  ${r.owasp.join(",")}`);return`${"rule".padEnd(e)}  ${"engine".padEnd(o)}  severity cwe        owasp
${s.join(`
`)}
`}var me=`apiguard ${u.version}: security linter for OpenAPI specs and API handlers

Usage:
  apiguard scan [paths...]   Scan files and folders (default: .)
  apiguard rules             List every rule with its severity, CWE and OWASP category
  apiguard routes [paths...] List the API routes found in TypeScript/JavaScript code with their authentication
  apiguard baseline [paths...]  Write the fingerprints of today's findings to a baseline file

Options for scan:
  -f, --format <format>      stylish (default), json, sarif, markdown
  -o, --output <file>        Write the report to a file instead of stdout
  -c, --config <file>        Configuration file (default: .apiguard.yml found upward)
      --fail-on <level>      error (default), warning, info, never: exit 1 when a finding reaches it
      --baseline <file>      Findings listed in this baseline are reported as existing and never fail the run
      --changed-since <ref>  Only findings on lines changed since a git ref (\`git diff <ref>\`, plus untracked
                             files); the --fail-on threshold applies to what is left
  -q, --quiet                Report only findings that reach the --fail-on level; no progress

Options for routes:
  -f, --format <format>      text (default), json, markdown; also -o, --output and -c, --config

Options for baseline:
  -o, --output <file>        Where to write it (default: ${E}); also -c, --config

  -h, --help                 Show this help
  -v, --version              Show the version

Exit codes: 0 no finding reaches the threshold, 1 one does, 2 usage or configuration error.
`,se=["error","warning","info","never"],l=class extends Error{};async function ae(t=process.argv.slice(2)){try{process.exitCode=await ge(t)}catch(e){if(e instanceof l||e instanceof U){process.stderr.write(`apiguard: ${e.message}
${e instanceof l?"Run `apiguard --help` for usage.\n":""}`),process.exitCode=2;return}throw e}}async function ge(t){let e;try{e=he(t)}catch(i){throw new l(i instanceof Error?i.message:String(i))}let{values:n,positionals:o}=e;if(n.version)return process.stdout.write(`${u.version}
`),0;let[s="scan",...r]=o;if(n.help)return process.stdout.write(me),0;if(s==="rules")return process.stdout.write(ie(n.format==="json"?"json":n.format==="markdown"?"markdown":"text")),0;if(s==="routes"){let i=n.format??"text";if(!P.includes(i))throw new l(`unknown format "${i}" for routes; use one of ${P.join(", ")}`);let{routes:R}=await X({paths:r.length>0?r:["."],cwd:process.cwd(),...n.config?{configFile:n.config}:{}}),_=re(R,i);return n.output!==void 0?M(j(n.output),_):process.stdout.write(_),0}let a=K();if(s==="baseline"){let i=await L({paths:r.length>0?r:["."],cwd:process.cwd(),...n.config?{configFile:n.config}:{},...a?{specWorkerFile:a}:{}}),R=j(n.output??E);return M(R,W(i.findings)),process.stderr.write(`apiguard: wrote ${i.findings.length} findings to ${n.output??E}
`),0}let p=s==="scan"?r:o,y=n.format??"stylish";if(!N.includes(y))throw new l(`unknown format "${y}"; use one of ${N.join(", ")}`);let m=n["fail-on"];if(m&&!se.includes(m))throw new l(`--fail-on must be one of ${se.join(", ")}`);let b=Q(process.cwd()),$;if(n["changed-since"]!==void 0)try{$=B(b,[n["changed-since"]],{includeUntracked:!0})}catch(i){throw new l(`--changed-since: ${i.message}`)}let F=n.baseline?q(j(n.baseline),b):void 0,d=!n.quiet&&process.stderr.isTTY,O=await L({paths:p.length>0?p:["."],cwd:process.cwd(),...n.config?{configFile:n.config}:{},...m?{failOn:m}:{},...a?{specWorkerFile:a}:{},...F?{baseline:F}:{},...d?{onProgress:(i,R)=>process.stderr.write(`\rapiguard: ${i}/${R} spec files`)}:{}});d&&process.stderr.write("\r\x1B[K");let c=$?Y(O,{mode:"added",files:$}).result:O,f=n.quiet?{...c,findings:c.findings.filter(i=>J(i.severity,c.failOn==="never"?"error":c.failOn))}:c,v=n.output!==void 0,I=te(y,f,!v&&C(process.stdout)?A:x);return v?M(j(n.output),I):process.stdout.write(I),z(c)?1:0}function he(t){return ue({args:[...t],allowPositionals:!0,strict:!0,options:{format:{type:"string",short:"f"},output:{type:"string",short:"o"},config:{type:"string",short:"c"},"fail-on":{type:"string"},baseline:{type:"string"},"changed-since":{type:"string"},quiet:{type:"boolean",short:"q"},help:{type:"boolean",short:"h"},version:{type:"boolean",short:"v"}}})}await ae();
