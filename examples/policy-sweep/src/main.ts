console.log("TODO");
