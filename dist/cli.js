#!/usr/bin/env node
import { createRequire as __apiguardCreateRequire } from 'node:module'; import { fileURLToPath as __apiguardFileURLToPath } from 'node:url'; const require = __apiguardCreateRequire(import.meta.url); const __filename = __apiguardFileURLToPath(import.meta.url); const __dirname = __filename.replace(/[\\/][^\\/]*$/, '');
import{C as Z,D as ee,E as te,F as A,a as J,c as U,e as E,f as q,g as B,j as Y,n as z,o as L,p as D,q as $,r as S,s as G,u as K,v as V,w as H,x as C,y as Q,z as X}from"./chunks/chunk-MILW7GNS.js";import"./chunks/chunk-ZA7CBXMM.js";import{h as m}from"./chunks/chunk-7VB3SJ6C.js";import"./chunks/chunk-K3BSRNCV.js";import"./chunks/chunk-E2V3X2W7.js";import"./chunks/chunk-CKLFCPP6.js";import{g as W}from"./chunks/chunk-Y6MP7V7X.js";import"./chunks/chunk-QAWSIUFT.js";import"./chunks/chunk-A3GI2L4X.js";import{h as k}from"./chunks/chunk-COABWLFP.js";import"./chunks/chunk-ZYW3SNVM.js";import"./chunks/chunk-2GIGHPKJ.js";import"./chunks/chunk-YIOTHDAC.js";import{writeFileSync as N}from"node:fs";import{resolve as T}from"node:path";import{parseArgs as ce}from"node:util";var fe=1;function ne(r){return`${JSON.stringify({version:fe,tool:S,findings:r.findings,suppressed:r.suppressed,summary:L(r)},null,2)}
`}var g=(r,t)=>e=>`\x1B[${r}m${e}\x1B[${t}m`,j={red:g(31,39),yellow:g(33,39),blue:g(34,39),dim:g(2,22),bold:g(1,22),underline:g(4,24)},h=r=>r,b={red:h,yellow:h,blue:h,dim:h,bold:h,underline:h};function I(r,t=process.env){return t.NO_COLOR!==void 0&&t.NO_COLOR!==""?!1:t.FORCE_COLOR!==void 0&&t.FORCE_COLOR!=="0"?!0:!!r.isTTY}function re(r,t=b){let e={error:t.red,warning:t.yellow,info:t.blue},a=new Map;for(let d of r.findings)a.set(d.file,[...a.get(d.file)??[],d]);let i=[];for(let[d,O]of a){i.push(t.underline(d));let c=Math.max(...O.map(s=>`${s.line}:${s.column}`.length));for(let s of O){let v=`${s.line}:${s.column}`.padEnd(c);i.push(`  ${t.dim(v)}  ${e[s.severity](s.severity.padEnd(7))}  ${s.message}  ${t.dim(s.ruleId)}`)}i.push("")}let n=L(r),{error:p,warning:x,info:w}=n.bySeverity,l=n.files.openapi+n.files.code,R=`${$(n.total,"finding")} (${$(p,"error")}, ${$(x,"warning")}, ${w} info)`,y=[`${$(l,"file")} checked`,...n.suppressed.total>0?[`${n.suppressed.total} suppressed`]:[],`${(n.durationMs/1e3).toFixed(1)} s`],F=n.result==="fail"?t.red("\u2716"):n.total>0?t.yellow("!"):"\u2714";return i.push(t.bold(`${F} ${n.total===0?"No findings":R}`)+t.dim(` \xB7 ${y.join(" \xB7 ")}`)),`${i.join(`
`)}
`}var P=["stylish","json","sarif","markdown"];function oe(r,t,e){return k(de(r,t,e))}function de(r,t,e){switch(r){case"json":return ne(t);case"sarif":return H(t);case"markdown":return K(t);case"stylish":return re(t,e)}}function ie(r){if(r==="json")return`${JSON.stringify(m,null,2)}
`;if(r==="markdown")return V(m);let t=Math.max(...m.map(n=>n.id.length)),e=n=>G(n).join("+"),a=Math.max(7,...m.map(n=>e(n).length)),i=m.map(n=>`${n.id.padEnd(t)}  ${e(n).padEnd(a)}  ${n.severity.padEnd(7)}  ${n.cwe.join(",").padEnd(9)}  ${n.owasp.join(",")}`);return`${"rule".padEnd(t)}  ${"engine".padEnd(a)}  severity cwe        owasp
${i.join(`
`)}
`}var pe=`apiguard ${S.version}: security linter for OpenAPI specs and API handlers

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
      --spec                 Join the routes with the operations of the OpenAPI descriptions: documented or not,
                             implemented or not, spec security beside code authentication

Options for baseline:
  -o, --output <file>        Where to write it (default: ${E}); also -c, --config

  -h, --help                 Show this help
  -v, --version              Show the version

Exit codes: 0 no finding reaches the threshold, 1 one does, 2 usage or configuration error.
`,se=["error","warning","info","never"],f=class extends Error{};async function ae(r=process.argv.slice(2)){try{process.exitCode=await le(r)}catch(t){if(t instanceof f||t instanceof J){process.stderr.write(`apiguard: ${t.message}
${t instanceof f?"Run `apiguard --help` for usage.\n":""}`),process.exitCode=2;return}throw t}}async function le(r){let t;try{t=ue(r)}catch(o){throw new f(o instanceof Error?o.message:String(o))}let{values:e,positionals:a}=t;if(e.version)return process.stdout.write(`${S.version}
`),0;let[i="scan",...n]=a;if(e.help)return process.stdout.write(pe),0;if(i==="rules")return process.stdout.write(ie(e.format==="json"?"json":e.format==="markdown"?"markdown":"text")),0;if(i==="routes"){let o=e.format??"text";if(!C.includes(o))throw new f(`unknown format "${o}" for routes; use one of ${C.join(", ")}`);let u={paths:n.length>0?n:["."],cwd:process.cwd(),...e.config?{configFile:e.config}:{}},_=e.spec?X(await te(u),o):Q((await ee(u)).routes,o);return e.output!==void 0?N(T(e.output),_):process.stdout.write(_),0}let p=Z();if(i==="baseline"){let o=await A({paths:n.length>0?n:["."],cwd:process.cwd(),...e.config?{configFile:e.config}:{},...p?{specWorkerFile:p}:{}}),u=T(e.output??E);return N(u,q(o.findings)),process.stderr.write(`apiguard: wrote ${o.findings.length} findings to ${e.output??E}
`),0}let x=i==="scan"?n:a,w=e.format??"stylish";if(!P.includes(w))throw new f(`unknown format "${w}"; use one of ${P.join(", ")}`);let l=e["fail-on"];if(l&&!se.includes(l))throw new f(`--fail-on must be one of ${se.join(", ")}`);let R=W(process.cwd()),y;if(e["changed-since"]!==void 0)try{y=Y(R,[e["changed-since"]],{includeUntracked:!0})}catch(o){throw new f(`--changed-since: ${o.message}`)}let F=e.baseline?B(T(e.baseline),R):void 0,d=!e.quiet&&process.stderr.isTTY,O=await A({paths:x.length>0?x:["."],cwd:process.cwd(),...e.config?{configFile:e.config}:{},...l?{failOn:l}:{},...p?{specWorkerFile:p}:{},...F?{baseline:F}:{},...d?{onProgress:(o,u)=>process.stderr.write(`\rapiguard: ${o}/${u} spec files`)}:{}});d&&process.stderr.write("\r\x1B[K");let c=y?z(O,{mode:"added",files:y}).result:O,s=e.quiet?{...c,findings:c.findings.filter(o=>U(o.severity,c.failOn==="never"?"error":c.failOn))}:c,v=e.output!==void 0,M=oe(w,s,!v&&I(process.stdout)?j:b);return v?N(T(e.output),M):process.stdout.write(M),D(c)?1:0}function ue(r){return ce({args:[...r],allowPositionals:!0,strict:!0,options:{format:{type:"string",short:"f"},output:{type:"string",short:"o"},config:{type:"string",short:"c"},"fail-on":{type:"string"},baseline:{type:"string"},"changed-since":{type:"string"},quiet:{type:"boolean",short:"q"},spec:{type:"boolean"},help:{type:"boolean",short:"h"},version:{type:"boolean",short:"v"}}})}await ae();
