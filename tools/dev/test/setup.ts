import "../src/setup.js";
