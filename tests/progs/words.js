// One JavaScript thread splitting text into words until a deadline: CPU
// work that makes garbage, which V8 collects with its helper threads.
//   node words.js SECONDS
const until = Date.now() + 1000 * parseFloat(process.argv[2] || "1.5");
const vocab = [];
for (let i = 0; i < 5000; i++)
	vocab.push(Math.random().toString(36).slice(2, 3 + (i % 9)));
const text = Array.from({ length: 400000 }, (_, i) => vocab[(i * 7919) % vocab.length]).join(" ");
let words = 0;
while (Date.now() < until) {
	const counts = new Map();
	for (const w of text.split(/\s+/))
		counts.set(w, (counts.get(w) || 0) + 1);
	words += counts.size;
}
console.log(words);
