// The hosted pages' one stylesheet, served from our origin (a CSP allows no inline style).
export const STYLESHEET = `*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1b1f24}
main{max-width:24rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{margin:0 0 1rem;font-size:1.5rem}
label{display:block;margin:1rem 0 .25rem;font-weight:600}
input{width:100%;padding:.6rem;border:1px solid #8a939e;border-radius:.25rem;font:inherit}
input:focus,button:focus{outline:3px solid #1f6feb;outline-offset:1px}
button{display:block;width:100%;margin-top:1.25rem;padding:.7rem;border:0;border-radius:.25rem;background:#1f6feb;color:#fff;font:inherit;font-weight:600;cursor:pointer}
button.secondary{background:#e6e8eb;color:#1b1f24;margin-top:.5rem}
.error{padding:.75rem;border-radius:.25rem;background:#ffebe9;color:#82071e}
ul{padding-left:1.25rem}
.notice{padding:.75rem;border-radius:.25rem;background:#ddf4ff;color:#0a3069}
.links{display:flex;flex-wrap:wrap;gap:.5rem 1rem;margin-top:1.25rem}
a{color:#0550ae;overflow-wrap:anywhere}
h2{margin:1.5rem 0 .5rem;font-size:1.15rem}
code{font-size:1.05em;letter-spacing:.03em}
`;
