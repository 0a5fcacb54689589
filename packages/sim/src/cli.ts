console.log("vx");
