// N HTTP requests in flight at once from one Node.js event loop, R rounds.
//   node requests.js PORT [N] [ROUNDS]
'use strict';
const http = require('http');
const [port, n = 100, rounds = 3] = process.argv.slice(2).map(Number);
const agent = new http.Agent({ keepAlive: true, maxSockets: n });

function get() {
	return new Promise((resolve, reject) => {
		http.get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
			res.resume();
			res.on('end', resolve);
		}).on('error', reject);
	});
}

(async () => {
	for (let r = 0; r < rounds; r++)
		await Promise.all(Array.from({ length: n }, get));
	agent.destroy();
})().catch((e) => { console.error(e.message); process.exit(1); });
