import './components/tl-app';
