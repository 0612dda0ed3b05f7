const m = await import(process.argv[2]!);
for (const r of await m.run()) console.log(r.name, r.value.toFixed(2), r.unit);
